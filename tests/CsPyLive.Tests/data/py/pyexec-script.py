# Run by pyexec-files.csd with pyexeci (globals) and pylexeci (note locals).
script_value = 7.5


def script_twice(x):
    return float(x * 2)
