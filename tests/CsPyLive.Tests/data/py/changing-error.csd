<CsoundSynthesizer>
<CsInstruments>
; bad() raises at every call with a message that changes (it names a counter): a new error every k-cycle.
sr = 48000
ksmps = 32
nchnls = 1
0dbfs = 1
pyinit
pyruni {{
calls = 0
def bad(x):
    global calls
    calls += 1
    raise ValueError(f"call number {calls}")
}}
instr 1
  k1 pycall1 "bad", 1
  out upsamp(0.25)
endin
</CsInstruments>
<CsScore>
i1 0 30
</CsScore>
</CsoundSynthesizer>
