<CsoundSynthesizer>
<CsInstruments>
; a steady 0.3-amplitude 440 Hz sine on both channels, with a k-cycle (441) that no JACK period divides.
sr = 48000
ksmps = 441
nchnls = 2
0dbfs = 1
giSine ftgen 0, 0, 65536, 10, 1
instr 1
  a1 poscil 0.3, 440, giSine
  outs a1, a1
endin
</CsInstruments>
<CsScore>
i1 0 600
</CsScore>
</CsoundSynthesizer>
