@echo off
rem Musrenbang pipeline: watcher of the inbox, for Windows Task Scheduler (or double-click).
rem Edit the two paths below. Stop it cleanly: create the file .musrenbang\stop in the root
rem (see deploy\README.md); Task Scheduler's "End" also is safe (the next start finishes).
chcp 65001 >nul
setlocal
set "MUSRENBANG_ROOT=C:\Musrenbang"
set "MUSRENBANG_EXE=C:\Musrenbang\venv\Scripts\musrenbang.exe"
set "PYTHONUTF8=1"
set "PYTHONUNBUFFERED=1"
cd /d "%MUSRENBANG_ROOT%" || exit /b 2
if not exist ".musrenbang\logs" mkdir ".musrenbang\logs"
rem For an inbox on another PC's share add: --polling 10
"%MUSRENBANG_EXE%" watch >> ".musrenbang\logs\watch-console.log" 2>&1
exit /b %ERRORLEVEL%
