# NAME.py: OSC sets these globals (patch.yaml) at a k-boundary; NAME.csd calls pulse() 8 times a second.
import math

rate = 0.5      # fader 2, 0..1


def pulse(t):
    """The drone's gain at time t: a slow swell, faster as the rate goes up."""
    speed = 0.25 + 4 * rate
    return 0.55 + 0.45 * math.sin(2 * math.pi * speed * t)
