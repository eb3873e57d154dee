<CsoundSynthesizer>
<CsOptions>
-n -d -m0
</CsOptions>
<CsInstruments>
; t forms act only when the trigger is nonzero; outputs hold their last values otherwise.
sr = 44100
kr = 100
nchnls = 1
0dbfs = 1
pyinit
pyruni {{
calls = 0.0
def count(x):
    global calls
    calls = calls + 1
    return float(x * 10)
runs = 0.0
}}

instr 1
  kn init 0
  kn += 1
  ktrig = (kn % 4 == 0 ? 1 : 0)
  kv pycall1t ktrig, "count", kn
  pyrunt ktrig, "runs = runs + 1"
  printf "R: %d %.6f\n", kn, kn, kv
endin

instr 2
  i1 pyevali "calls"
  i2 pyevali "runs"
  printf_i "R: calls=%.6f runs=%.6f\n", 1, i1, i2
endin
</CsInstruments>
<CsScore>
i1 0 0.1
i2 0.5 0.01
</CsScore>
</CsoundSynthesizer>
