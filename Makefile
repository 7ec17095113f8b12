.PHONY: run test setup bench
run:    ## set up and run Accord on SQLite with seeded texts and demo accounts
	scripts/run.sh
test:   ## set up and run the whole test suite (SQLite, a throwaway PostgreSQL, Chromium)
	scripts/test.sh
setup:  ## install the pinned dependencies only
	scripts/setup.sh
bench:  ## set up and run the benchmarks (make bench BENCH_ARGS=--quick for a short run)
	scripts/setup.sh
	.venv/bin/python -m bench.run $(BENCH_ARGS)
