<CsoundSynthesizer>
<CsOptions>
</CsOptions>
<CsInstruments>
; OSC probe: what OSC changed comes out as DC on the channels, so a recording shows it.
; out1 = Python global x, out2 = channel "level", out3 = p4 of the last instr 2 note,
; out4 = k-cycles the trigger channel "t" was 1, out5 = Python global hits (pyassignt), out6 = instr 3's tone
sr = 48000
ksmps = 32
nchnls = 6
0dbfs = 1

pyinit
pyruni "x = 0.0\nhits = 0.0"
gkLast init 0
gkTrigs init 0

instr 1
  kx pyeval "float(x)"
  kc chnget "level"
  kt chnget "t"
  kv chnget "v"
  gkTrigs += kt
  pyassignt kt, "hits", kv
  kh pyeval "float(hits)"
  outch 1, a(kx), 2, a(kc), 3, a(gkLast), 4, a(gkTrigs), 5, a(kh)
endin

instr 2
  gkLast = p4
endin

instr 3
  a1 poscil 0.5, 440
  outch 6, a1
endin
</CsInstruments>
<CsScore>
i 1 0 3600
i 3 0 3600
</CsScore>
</CsoundSynthesizer>
