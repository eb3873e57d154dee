<CsoundSynthesizer>
<CsOptions>
; Csound reads live audio input only when asked: -iadc. cspylive then registers in_1..in_M.
-iadc
</CsOptions>
<CsInstruments>
sr = 48000
ksmps = 32
nchnls = 2
nchnls_i = 1
0dbfs = 1

instr 1
  ain inch 1
  outs ain, ain
endin
</CsInstruments>
<CsScore>
i1 0 3600
</CsScore>
</CsoundSynthesizer>
