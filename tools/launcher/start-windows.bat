@echo off
rem Double-click to serve the baclofen dosing site on this computer and open it in the browser.
rem Needs Python 3.9 or newer (the "py" launcher or "python" on the PATH). Close this window to stop.
setlocal
cd /d "%~dp0"
where py >nul 2>nul
if %errorlevel%==0 (
  py -3 serve.py %*
  goto done
)
where python >nul 2>nul
if %errorlevel%==0 (
  python serve.py %*
  goto done
)
echo Python was not found on this computer.
echo Install Python 3 (any version from 3.9), tick "Add python.exe to PATH", then try again.
echo Meanwhile you can read the pages by opening site\index.html; the calculators need Python.
:done
echo.
pause
