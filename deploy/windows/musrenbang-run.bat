@echo off
rem Musrenbang pipeline: one batch pass (musrenbang run), for a scheduled task.
rem Exit code 0 all accepted, 1 some input rejected (see its receipt), 2 settings, 3 internal.
chcp 65001 >nul
setlocal
set "MUSRENBANG_ROOT=C:\Musrenbang"
set "MUSRENBANG_EXE=C:\Musrenbang\venv\Scripts\musrenbang.exe"
set "PYTHONUTF8=1"
cd /d "%MUSRENBANG_ROOT%" || exit /b 2
if not exist ".musrenbang\logs" mkdir ".musrenbang\logs"
"%MUSRENBANG_EXE%" run >> ".musrenbang\logs\run-console.log" 2>&1
exit /b %ERRORLEVEL%
