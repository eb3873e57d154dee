# Module code that runs for 12 ms: longer than the idle gap between two 5.3 ms callbacks, shorter than the
# watchdog's 25 ms budget for Python on the audio thread.
import time
_t = time.perf_counter()
while time.perf_counter() - _t < 0.012:
    pass

def level():
    global state
    state += 1
    return 0.5
