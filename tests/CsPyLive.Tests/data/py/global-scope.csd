<CsoundSynthesizer>
<CsOptions>
-n -d -m0
</CsOptions>
<CsInstruments>
; Global scope: names set by one opcode are seen by the others and by later notes.
sr = 44100
ksmps = 100
nchnls = 1
0dbfs = 1
pyinit
pyruni {{
base = 2.5
def scale(x, y):
    return float(x * y + base)
def neg(x):
    return -1.25
}}
pyassigni "offset", 4

instr 1
  i1 pyevali "base * 2.0"
  i2 pycall1i "scale", 3, 0.5
  i3 pyevali "offset + 0.5"
  printf_i "R: %.6f %.6f %.6f\n", 1, i1, i2, i3
  pyruni "base = 10.0"
endin

instr 2
  i1 pyevali "base + 0.0"
  i2 pycall1i "scale", 2, 2
  i3 pycall1i "neg", 0
  printf_i "R: %.6f %.6f %.6f\n", 1, i1, i2, i3
endin
</CsInstruments>
<CsScore>
i1 0 0.01
i2 0.05 0.01
</CsScore>
</CsoundSynthesizer>
