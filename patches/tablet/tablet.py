# The arpeggiator's brain. OSC assigns these globals at a k-boundary (patch.yaml):
#   tempo   steps per second (fader 4, 2..12), root (rotary, MIDI note), mode (toggle 0/1: minor/major),
#   density (fader 5, 0..1: chance a step sounds)
import random

tempo = 5.0
root = 50
mode = 0
density = 0.8
MINOR = [0, 3, 5, 7, 10, 12, 15, 17]
MAJOR = [0, 4, 7, 9, 11, 12, 16, 19]
random.seed(3)


def tempo_hz():
    return float(tempo)


def next_note(step):
    scale = MAJOR if mode else MINOR
    if random.random() > density:
        return 0.0
    i = int(step) % len(scale)
    if random.random() < 0.3:
        i = random.randrange(len(scale))
    return float(int(root) + 12 + scale[i])
