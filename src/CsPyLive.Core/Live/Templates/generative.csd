<CsoundSynthesizer>
<CsOptions>
</CsOptions>
<CsInstruments>
; NAME: a generative patch. A metro asks NAME.py for the next note at each tick (pycall2t); NAME.py is a
; random walk over a scale. Edit the scale or the walk and save while it plays: the next tick uses it.
;   ./cspylive play NAME
sr = 48000
ksmps = 32
nchnls = 2
0dbfs = 1

pyinit
pyexeci "NAME.py"

gaRev init 0

instr 1 ; the conductor
  ktick metro 4
  knote, kdur pycall2t ktick, "next_note", timeinsts()
  schedkwhen ktick * (knote > 0 ? 1 : 0), 0, 0, 2, 0, kdur, knote
endin

instr 2 ; a soft FM voice
  kenv linseg 0, 0.01, 1, p3 - 0.01, 0
  asig foscili 0.1 * kenv, cpsmidinn(p4), 1, 2, 1.5 * kenv
  outs asig, asig
  gaRev += asig * 0.4
endin

instr 99
  aL, aR reverbsc gaRev, gaRev, 0.85, 7000
  outs aL, aR
  clear gaRev
endin
</CsInstruments>
<CsScore>
i 1 0 86400
i 99 0 86400
</CsScore>
</CsoundSynthesizer>
