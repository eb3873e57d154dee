# Slow module code (12 ms) inside a bare try/except, which would swallow the idle gap's overrun signal.
import time
try:
    _t = time.perf_counter()
    while time.perf_counter() - _t < 0.012:
        pass
except:
    pass

def level():
    global state
    state += 1
    return 0.5
