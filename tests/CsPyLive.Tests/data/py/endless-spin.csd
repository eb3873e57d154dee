<CsoundSynthesizer>
<CsInstruments>
; instr 1 plays 0.25 for the whole show. instr 2, from 1 s, calls spin() every k-cycle, and spin() never returns:
; the watchdog must interrupt it, stop calling it, and turn the note off, while instr 1 plays on. instr 3, from
; 2.5 s, calls spin() again and plays what it returns: nothing while spin is benched, 0.5 once a reload fixed it.
sr = 48000
ksmps = 32
nchnls = 1
0dbfs = 1
pyinit
pyruni {{
def spin(x):
    while True:
        pass
}}
instr 1
  out upsamp(0.25)
endin
instr 2
  k1 pycall1 "spin", 1
endin
instr 3
  k1 pycall1 "spin", 1
  out upsamp(k1)
endin
</CsInstruments>
<CsScore>
i1 0 30
i2 1 30
i3 2.5 30
</CsScore>
</CsoundSynthesizer>
