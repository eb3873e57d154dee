def level():
    return 1 / 0
