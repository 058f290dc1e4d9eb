set terminal svg size 900,500 dynamic font "sans,12" background "#ffffff"
set output 'throughput.svg'
set title 'Maximum throughput (closed loop, wrk) by request and path'
set ylabel 'requests/s'
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.8 border -1
set grid ytics
set key top right
plot 'throughput.dat' using 2:xtic(1) title columnheader(2), '' using 3 title columnheader(3), \
     '' using 4 title columnheader(4), '' using 5 title columnheader(5)
