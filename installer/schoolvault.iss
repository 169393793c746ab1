; SchoolVault installer: Inno Setup 6 script (Korean UI, per-user, no admin rights).
;
; Build it through installer\build_bundle.py --installer, which passes the version and the bundle:
;   ISCC /DAppVersion=0.1.0 /DBundleDir=...\dist\SchoolVault /O...\dist installer\schoolvault.iss
; Run by hand after `build_bundle.py`, it reads the version from the built schoolvault.exe instead.
;
; What it promises a school:
;   - installs for the current user into %LOCALAPPDATA%\Programs\SchoolVault: no administrator needed
;     (an IT administrator may still deploy for all users with /ALLUSERS on the command line);
;   - Start-menu shortcuts (the app and its data folder) and an optional desktop shortcut;
;   - a newer installer upgrades in place (same AppId), replacing only the program files;
;   - the uninstaller removes the program and NEVER the workspaces: they live in the user's data
;     folder (%LOCALAPPDATA%\SchoolVault, platformdirs), outside {app}, and nothing here deletes it.

#ifndef BundleDir
  #define BundleDir AddBackslash(SourcePath) + "..\dist\SchoolVault"
#endif
#if !FileExists(BundleDir + "\schoolvault.exe")
  #error The bundle is missing: run `python installer\build_bundle.py` first (dist\SchoolVault\schoolvault.exe)
#endif
#ifndef AppVersion
  ; Same value build_bundle.py passes: PyInstaller wrote schoolvault.__version__ into the exe.
  #define AppVersion GetFileProductVersionString(BundleDir + "\schoolvault.exe")
#endif
#if AppVersion == ""
  #error No version: pass /DAppVersion=X.Y.Z or build the bundle on Windows (it carries the version)
#endif
; Windows wants four numbers in a file version; the exe already carries them (0.2.0rc1 -> 0.2.0.0).
#define NumericVersion GetVersionNumbersString(BundleDir + "\schoolvault.exe")
#if !FileExists(AddBackslash(CompilerPath) + "Languages\Korean.isl")
  #error Languages\Korean.isl is missing: install Inno Setup 6.5 or newer, which ships the Korean translation
#endif

#define AppName "SchoolVault"
#define AppExe "schoolvault.exe"
#define Publisher "SchoolVault 프로젝트"
; The user's data folder; must match platformdirs.user_data_dir("SchoolVault", appauthor=False).
#define DataDir "{localappdata}\SchoolVault"

[Setup]
; Never change AppId: it is how a newer installer finds and upgrades the installed copy.
AppId={{16760C8F-1AFD-42DC-80DE-D6FFED828650}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher={#Publisher}
AppCopyright=MIT License
AppComments=학교평가·학교조직진단 도우미 (오프라인)
VersionInfoVersion={#NumericVersion}
VersionInfoProductName={#AppName}
VersionInfoDescription={#AppName} 설치 프로그램
; Per-user install without administrator rights: {autopf} is %LOCALAPPDATA%\Programs here.
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=commandline
DefaultDirName={autopf}\{#AppName}
DisableDirPage=auto
UsePreviousAppDir=yes
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
DisableWelcomePage=no
ShowLanguageDialog=no
WizardStyle=modern
SetupIconFile=..\resources\icons\schoolvault.ico
UninstallDisplayIcon={app}\{#AppExe}
UninstallDisplayName={#AppName} {#AppVersion}
OutputDir=..\dist
OutputBaseFilename=SchoolVault-{#AppVersion}-setup
Compression=lzma2/max
SolidCompression=yes
; 64-bit Python and Qt 6 need 64-bit Windows 10 (1809) or newer.
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0.17763
; An open SchoolVault is asked to close (it saves on close) before files are replaced.
CloseApplications=yes
RestartApplications=no
#ifdef Sign
; build_bundle.py defines the sign tool (/Sschoolvaultsign=signtool ...) when a certificate is set.
SignTool=schoolvaultsign
SignedUninstaller=yes
#endif

[Languages]
Name: "korean"; MessagesFile: "compiler:Languages\Korean.isl"

[CustomMessages]
korean.AppComment=학교평가 도우미
korean.DataFolder=SchoolVault 작업 파일 폴더
korean.DataFolderComment=작업 파일과 백업이 있는 폴더
korean.DataKept=SchoolVault 프로그램을 제거했습니다.%n%n작업 파일과 백업은 지우지 않았습니다. 다시 설치하면 그대로 이어서 쓸 수 있습니다:%n%1

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"

[InstallDelete]
; Upgrade in place: clear the previous version's runtime so no stale library outlives it.
; Only inside {app}; the data folder is elsewhere and is never touched.
Type: filesandordirs; Name: "{app}\_internal"

[Files]
Source: "{#BundleDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Dirs]
; Created so the Start-menu link to it works on first run; uninsneveruninstall keeps it (and the
; workspaces in it) when the program is removed.
Name: "{#DataDir}"; Flags: uninsneveruninstall; Check: not IsAdminInstallMode

[Icons]
Name: "{group}\{#AppName}"; Filename: "{app}\{#AppExe}"; WorkingDir: "{userdocs}"; Comment: "{cm:AppComment}"
Name: "{group}\{cm:DataFolder}"; Filename: "{#DataDir}"; Comment: "{cm:DataFolderComment}"; Check: not IsAdminInstallMode
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; WorkingDir: "{userdocs}"; Comment: "{cm:AppComment}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent

; No [UninstallDelete] section on purpose: the uninstaller removes exactly what it installed.

[Code]
procedure CurUninstallStepChanged(CurUninstallStep: TUninstallStep);
var
  DataDir: String;
begin
  if (CurUninstallStep = usPostUninstall) and not UninstallSilent then
  begin
    DataDir := ExpandConstant('{#DataDir}');
    if DirExists(DataDir) then
      MsgBox(FmtMessage(CustomMessage('DataKept'), [DataDir]), mbInformation, MB_OK);
  end;
end;
