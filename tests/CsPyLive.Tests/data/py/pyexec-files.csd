<CsoundSynthesizer>
<CsOptions>
-n -d -m0
</CsOptions>
<CsInstruments>
; pyexeci runs a script file in __main__; pylexeci runs it with the note's locals.
sr = 44100
kr = 100
nchnls = 1
0dbfs = 1
pyinit
pyexeci "$DIR/pyexec-script.py"

instr 1
  i1 pyevali "script_value"
  i2 pycall1i "script_twice", 21
  printf_i "R: %.6f %.6f\n", 1, i1, i2
  pylexeci "$DIR/pyexec-script.py"
  i3 pylevali "script_value + 1"
  printf_i "R: local %.6f\n", 1, i3
endin
</CsInstruments>
<CsScore>
i1 0 0.01
</CsScore>
</CsoundSynthesizer>
