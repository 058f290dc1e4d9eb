set terminal svg size 900,500 dynamic font "sans,12" background "#ffffff"
set output 'latency-vs-rate.svg'
set title 'GET /api/messages/ID through the whole stack: latency vs offered rate (open loop)'
set xlabel 'offered rate (requests/s)'
set ylabel 'latency (ms, log scale)'
set logscale y
set grid
set key top left
plot 'latency-vs-rate.dat' using 1:2 with linespoints title 'p50', \
     'latency-vs-rate.dat' using 1:3 with linespoints title 'p90', \
     'latency-vs-rate.dat' using 1:4 with linespoints title 'p99', \
     'latency-vs-rate.dat' using 1:5 with linespoints title 'p99.9', \
     5 with lines dashtype 2 title 'p99 target (5 ms)'
