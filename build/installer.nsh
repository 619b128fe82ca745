; Windows installer hook (electron-builder nsis.include): lock down the agency profile folder.
; C:\ProgramData lets any user create sub-folders, so a user could otherwise plant an agency.json
; that points the terminal at a switch of their choosing. After install, only Administrators and
; SYSTEM may change C:\ProgramData\Outrider; Users may read it. The profile itself is left alone.

!macro customInstall
  ; perMachine installs already run with the all-users shell context, where $APPDATA is C:\ProgramData.
  SetShellVarContext all
  CreateDirectory "$APPDATA\Outrider"
  ; A folder a user created first is owned by that user, and owners can rewrite ACLs: take ownership.
  nsExec::ExecToLog '"$SYSDIR\icacls.exe" "$APPDATA\Outrider" /setowner *S-1-5-32-544 /T /C /Q'
  Pop $0
  nsExec::ExecToLog '"$SYSDIR\icacls.exe" "$APPDATA\Outrider" /inheritance:r /grant:r *S-1-5-32-544:(OI)(CI)F *S-1-5-18:(OI)(CI)F *S-1-5-32-545:(OI)(CI)RX /Q'
  Pop $0
  ; Files already inside (an agency.json IT copied earlier) take the folder's permissions.
  nsExec::ExecToLog '"$SYSDIR\icacls.exe" "$APPDATA\Outrider\*" /reset /T /C /Q'
  Pop $0
!macroend
