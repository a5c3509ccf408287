"""Runs a server command and ends it when the launcher goes away.

The launcher holds this process's stdin: when it closes (the launcher exited, even by SIGKILL) or on
SIGTERM, the server is stopped (SIGTERM, then SIGKILL) and the working folder is removed.
Usage: python watchdog.py COMMAND [ARG...], run in the server's own temporary working folder.
"""

import os
import shutil
import signal
import subprocess
import sys
import threading

folder = os.getcwd()
server = subprocess.Popen(sys.argv[1:], stdin=subprocess.DEVNULL)
done = threading.Event()
signal.signal(signal.SIGTERM, lambda *_: done.set())
signal.signal(signal.SIGINT, lambda *_: done.set())
threading.Thread(target=lambda: (sys.stdin.buffer.read(), done.set()), daemon=True).start()

while server.poll() is None and not done.wait(0.2):
    pass
if server.poll() is None:
    server.terminate()
    try:
        server.wait(3)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()
shutil.rmtree(folder, ignore_errors=True)
sys.exit(server.returncode if server.returncode >= 0 else 1)
