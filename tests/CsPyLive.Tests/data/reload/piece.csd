<CsoundSynthesizer>
<CsInstruments>
sr = 48000
ksmps = 64
nchnls = 1
0dbfs = 1
pyinit
pyexeci "mod.py"
instr 1
  k1 pycall1 "level"
  aval upsamp k1
  out aval
endin
</CsInstruments>
<CsScore>
i1 0 2
</CsScore>
</CsoundSynthesizer>
