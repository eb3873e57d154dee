<CsoundSynthesizer>
<CsOptions>
-n -d -m0
</CsOptions>
<CsInstruments>
; Local scope: two notes playing at once each have their own names; globals stay visible.
sr = 44100
ksmps = 100
nchnls = 1
0dbfs = 1
pyinit
pyruni "shared = 100.0"

instr 1
  pylassigni "mine", p4
  pylruni "mine = mine * 2 + shared"
  i1 pylevali "mine + 0.0"
  kcount init 0
  kcount += 1
  pylassign "k", kcount
  kv pyleval "mine + k"
  printf "R: note %d init %.6f k %.6f\n", kcount == 3 ? 1 : 0, p4, i1, kv
endin
</CsInstruments>
<CsScore>
i1 0 0.02 1
i1 0 0.02 2
</CsScore>
</CsoundSynthesizer>
