# NAME.py: the brain of NAME.csd, asked for a note at each tick. Save while playing: the next tick uses it.
import random

SCALE = [0, 2, 4, 7, 9, 12, 14, 16]   # major pentatonic, two octaves
ROOT = 57
step = 0


def next_note(t):
    """(MIDI note, duration in seconds), or (0, 0) for a rest."""
    global step
    if random.random() < 0.2:
        return 0.0, 0.0
    step = max(0, min(len(SCALE) - 1, step + random.choice([-2, -1, 1, 2])))
    return float(ROOT + SCALE[step]), random.choice([0.25, 0.5, 0.75])
