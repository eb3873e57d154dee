def level():
    global state
    state += 1
    return 0.5
