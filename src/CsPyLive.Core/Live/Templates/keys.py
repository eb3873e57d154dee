# NAME.py: called by NAME.csd at each note's start (pycall1i). Save while playing: the next note uses it.


def brightness(note, velocity):
    """0..1 for a MIDI note and a velocity 0..1: harder and higher is brighter."""
    return min(1.0, 0.15 + 0.7 * velocity + (note - 60) / 96.0)
