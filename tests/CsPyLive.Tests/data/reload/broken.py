def level(:
    return 0.75
