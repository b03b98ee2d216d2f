# Fanout.Bus — build, demo and test entry points. `make help` lists them.
SHELL := /bin/bash
DOTNET ?= dotnet
CONFIG ?= Release
RUN_DIR := .run
CHAOS_PORT ?= 5702
CLUSTER_PORTS ?= 5711,5712,5713

.PHONY: help restore build demo test test-browser test-postgres test-unit test-integration bench bench-quick bench-scaling chaos chaos-quick test-cluster rabbitmq postgres up down compose-check clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-18s %s\n", $$1, $$2}'

restore: ## restore NuGet packages
	$(DOTNET) restore Fanout.Bus.sln -v quiet

build: restore ## build everything
	$(DOTNET) build Fanout.Bus.sln -c $(CONFIG) --no-restore -v quiet -nologo

demo: ## run the samples in one process (in-memory transport, SQLite file); one JSON line per callback on stdout
	@$(MAKE) -s build >&2
	@mkdir -p $(RUN_DIR)
	@rm -f $(RUN_DIR)/demo.db*
	@cd $(RUN_DIR) && FANOUT_RABBITMQ= FANOUT_DATABASE=demo.db \
	  $(DOTNET) ../services/Fanout.Samples/bin/$(CONFIG)/net10.0/Fanout.Samples.dll demo

bench: ## end-to-end benchmark on a local RabbitMQ, each scenario 3 times; table on stdout, .run/bench/results.json
	@$(MAKE) -s build >&2
	@url=$${FANOUT_RABBITMQ:-$$(./compose/ensure-rabbitmq.sh | tail -n1)}; \
	  FANOUT_RABBITMQ=$$url $(DOTNET) tests/Fanout.Benchmarks/bin/$(CONFIG)/net10.0/Fanout.Benchmarks.dll

bench-quick: ## the benchmark once per scenario, smaller (no map_100000), in under 2 minutes
	@$(MAKE) -s build >&2
	@url=$${FANOUT_RABBITMQ:-$$(./compose/ensure-rabbitmq.sh | tail -n1)}; \
	  FANOUT_RABBITMQ=$$url $(DOTNET) tests/Fanout.Benchmarks/bin/$(CONFIG)/net10.0/Fanout.Benchmarks.dll --quick

bench-scaling: ## 200×10 and map_10000 on SQLite, then on PostgreSQL with one and with two orchestrators, side by side (3 runs each)
	@$(MAKE) -s build >&2
	@url=$${FANOUT_RABBITMQ:-$$(./compose/ensure-rabbitmq.sh | tail -n1)}; pg=$$(./compose/ensure-postgres.sh | tail -n1); \
	  bench="$(DOTNET) tests/Fanout.Benchmarks/bin/$(CONFIG)/net10.0/Fanout.Benchmarks.dll --only throughput_200x10,map_10000"; \
	  for deployment in "" "--postgres $$pg --orchestrators 1" "--postgres $$pg --orchestrators 2"; do \
	    FANOUT_RABBITMQ=$$url $$bench $$deployment || exit 1; \
	  done

chaos: ## faults under load (kills, broker restarts, SQLite lock, poison) on a private broker node on CHAOS_PORT (5702); table on stdout; LONG=1 adds a 150 s outage (OUTAGE_S=n to change), ONLY=a,b; POSTGRES=1 stores in a local PostgreSQL with two orchestrators
	@$(MAKE) -s build >&2
	@$(DOTNET) tests/Fanout.Chaos/bin/$(CONFIG)/net10.0/Fanout.Chaos.dll --port $(CHAOS_PORT) \
	  $(if $(QUICK),--quick) $(if $(LONG),--long) $(if $(ONLY),--only $(ONLY)) $(if $(SEED),--seed $(SEED)) $(if $(OUTAGE_S),--outage-s $(OUTAGE_S)) \
	  $(if $(POSTGRES),--postgres "$$(./compose/ensure-postgres.sh | tail -n1)" --orchestrators 2)

chaos-quick: ## make chaos with three scenarios (orchestrator kill, broker restart, poison) and a smaller load, for CI
	@$(MAKE) -s chaos QUICK=1

test-cluster: ## the system on a private 3-node RabbitMQ cluster (CLUSTER_PORTS) with quorum queues: publishes after a leader's node is killed, then one node stopped, then one killed, mid-burst; table on stdout
	@$(MAKE) -s build >&2
	@FANOUT_TEST_CLUSTER_PORTS=$(CLUSTER_PORTS) $(DOTNET) test tests/Fanout.IntegrationTests -c $(CONFIG) --no-build --filter "Broker=Cluster" \
	  --logger "console;verbosity=normal" >&2
	@$(DOTNET) tests/Fanout.Chaos/bin/$(CONFIG)/net10.0/Fanout.Chaos.dll --cluster $(CLUSTER_PORTS) \
	  $(if $(QUICK),--quick) $(if $(ONLY),--only $(ONLY)) $(if $(SEED),--seed $(SEED))

rabbitmq: ## make sure a local RabbitMQ (with management UI) is running
	@./compose/ensure-rabbitmq.sh

postgres: ## make sure a local PostgreSQL runs on 127.0.0.1:5433 (FANOUT_PG_PORT), installing Debian's package if missing
	@./compose/ensure-postgres.sh

up: build ## start RabbitMQ and every service as its own process; logs in .run/logs/
	@./compose/up.sh

down: ## stop the processes `make up` started (RabbitMQ keeps running)
	@./compose/down.sh

compose-check: ## validate compose/docker-compose.yml (docker-compose config) and compose/Dockerfile (one image per project)
	@./compose/check.sh

test: build compose-check ## compose check, unit tests (then again a year ahead), integration tests on a local RabbitMQ and real SQLite files, browser tests in chromium
	$(DOTNET) test tests/Fanout.Tests -c $(CONFIG) --no-build --filter "Database!=PostgreSql" --logger "console;verbosity=normal"
	@faketime=$$(./compose/ensure-faketime.sh | tail -n1); echo "unit tests again, with the clock 365 days ahead"; \
	  FAKETIME_DONT_RESET=1 $$faketime -f '+365d' $(DOTNET) test tests/Fanout.Tests -c $(CONFIG) --no-build \
	    --filter "Database!=PostgreSql" --logger "console;verbosity=normal"
	@url=$${FANOUT_RABBITMQ:-$$(./compose/ensure-rabbitmq.sh | tail -n1)}; \
	  FANOUT_RABBITMQ=$$url $(DOTNET) test tests/Fanout.IntegrationTests -c $(CONFIG) --no-build --filter "Database!=PostgreSql&Broker!=Cluster" --logger "console;verbosity=normal"
	@$(MAKE) -s test-browser

test-browser: ## the dashboard in Debian's chromium (installed when missing) against the system on a local RabbitMQ; screenshots in .run/ui/
	@./compose/ensure-chromium.sh >/dev/null
	@url=$${FANOUT_RABBITMQ:-$$(./compose/ensure-rabbitmq.sh | tail -n1)}; \
	  FANOUT_RABBITMQ=$$url $(DOTNET) test tests/Fanout.BrowserTests -c $(CONFIG) --no-build --logger "console;verbosity=normal"

test-postgres: build ## on a local PostgreSQL (compose/ensure-postgres.sh): the PostgreSQL-only tests, the integration suite with two orchestrators per database, then a chaos run that kills one of two orchestrators mid-burst
	@pg=$${FANOUT_TEST_POSTGRES:-$$(./compose/ensure-postgres.sh --drop-test-databases | tail -n1)}; \
	  url=$${FANOUT_RABBITMQ:-$$(./compose/ensure-rabbitmq.sh | tail -n1)}; \
	  export FANOUT_TEST_POSTGRES="$$pg" FANOUT_RABBITMQ="$$url"; \
	  $(DOTNET) test tests/Fanout.Tests -c $(CONFIG) --no-build --filter "Database=PostgreSql" --logger "console;verbosity=normal" && \
	  $(DOTNET) test tests/Fanout.IntegrationTests -c $(CONFIG) --no-build --filter "Broker!=Cluster" --logger "console;verbosity=normal" && \
	  $(DOTNET) tests/Fanout.Chaos/bin/$(CONFIG)/net10.0/Fanout.Chaos.dll --port $(CHAOS_PORT) --quick --postgres "$$pg" --orchestrators 2 \
	    --only kill-one-orchestrator

test-unit: build ## unit tests only (no broker needed)
	$(DOTNET) test tests/Fanout.Tests -c $(CONFIG) --no-build --filter "Database!=PostgreSql"

test-integration: build ## integration tests only (ensures a local RabbitMQ)
	@url=$${FANOUT_RABBITMQ:-$$(./compose/ensure-rabbitmq.sh | tail -n1)}; \
	  FANOUT_RABBITMQ=$$url $(DOTNET) test tests/Fanout.IntegrationTests -c $(CONFIG) --no-build --filter "Database!=PostgreSql&Broker!=Cluster"

clean: ## remove build output and local run files
	$(DOTNET) clean Fanout.Bus.sln -c $(CONFIG) >/dev/null
	rm -rf $(RUN_DIR)
