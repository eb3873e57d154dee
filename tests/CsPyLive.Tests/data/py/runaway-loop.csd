<CsoundSynthesizer>
<CsInstruments>
sr = 48000
ksmps = 64
nchnls = 1
0dbfs = 1
pyinit
pyruni {{
import time
t0 = time.time()
looped = False
def level():
    global looped
    if time.time() - t0 > 1.0 and not looped:
        looped = True
        while True:
            pass
    return 0.25
}}
instr 1
  k1 pycall1 "level"
  aval upsamp k1
  out aval
endin
</CsInstruments>
<CsScore>
i1 0 30
</CsScore>
</CsoundSynthesizer>
