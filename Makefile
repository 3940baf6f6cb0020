# funnel: sales-funnel analytics for PostgreSQL (PGXS build)

EXTENSION = funnel
# The default version, read from the control file so the two never differ.
EXTVERSION = $(shell sed -n "s/^default_version = '\\(.*\\)'$$/\\1/p" $(EXTENSION).control)

MODULE_big = funnel
OBJS = $(patsubst %.c,%.o,$(sort $(wildcard src/*.c)))

# The server-independent parsers, formatters and statistics: plain C without PostgreSQL
# headers, which the fuzz targets and randomized harnesses of test/fuzz link
# (they read this line).
PURE_SRCS = src/attainment_core.c src/attainment_text.c src/chain_text.c src/flow_text.c src/funnel_value_text.c src/sequence_pattern.c src/stage_text.c src/stats.c src/textbuf.c src/velocity_pack.c src/velocity_sketch.c src/velocity_text.c src/window_funnel_mode.c

# Install and upgrade scripts.  sql/funnel--0.1.sql is the released 0.1,
# committed as it shipped and never edited: every later change to an SQL
# object goes into an upgrade script sql/funnel--A--B.sql, and a fresh
# install of the default version replays them from 0.1, as contrib does.
DATA = $(wildcard sql/$(EXTENSION)--*.sql)

# Every sql/<name>.sql other than the install scripts is a regression test.
REGRESS = $(sort $(patsubst sql/%.sql,%,$(filter-out sql/$(EXTENSION)--%,$(wildcard sql/*.sql))))
REGRESS_OPTS = --inputdir=. --load-extension=$(EXTENSION)

# Warnings are errors only where the project's own CI builds (make
# WERROR=-Werror, which test/lib.sh passes when CI=true): a user's newer
# compiler may warn where ours does not.
WERROR ?=
PG_CFLAGS = -Wall -Wextra $(WERROR) -Wno-unused-parameter -Wno-missing-field-initializers -Wno-sign-compare -Wno-clobbered
# the module's own version, which PostgreSQL 18 shows in pg_get_loaded_modules()
PG_CPPFLAGS = -DFUNNEL_VERSION='"$(EXTVERSION)"'
# A build does not depend on where its clone is: the clone's directory
# becomes "." in debug information and __FILE__, for gcc and for the
# bitcode clang makes, so two clones of one commit build one funnel.so.
PG_CPPFLAGS += -ffile-prefix-map=$(CURDIR)=.
EXTRA_CLEAN = results regression.diffs regression.out

PG_CONFIG ?= pg_config
PGXS := $(shell $(PG_CONFIG) --pgxs)
include $(PGXS)

# The build identifier: a hash of what makes the library (the sources, this
# Makefile, funnel's version, PostgreSQL's major version and the
# code-changing flags COPT and PROFILE), put in the library's GNU build-id
# note, where test/lib.sh's build_is_installed reads it (readelf -n) without
# loading the library.  The major version keeps the builds of one commit for
# two PostgreSQL versions (and their debug symbols) apart.
FUNNEL_BUILD_ID := $(shell { cat $(sort $(wildcard src/*.c src/*.h)) Makefile; echo '$(EXTVERSION) $(MAJORVERSION) $(COPT) $(PROFILE)'; } | sha1sum | cut -c1-40)
SHLIB_LINK += -Wl,--build-id=0x$(FUNNEL_BUILD_ID)

# The Odoo and Twenty integrations are psql scripts, not extension scripts:
# installed beside the extension's files as funnel_odoo.sql and
# funnel_twenty.sql, so that a package has them.
.PHONY: install-integrations uninstall-integrations
install: install-integrations
install-integrations: installdirs
	$(INSTALL_DATA) integrations/odoo.sql '$(DESTDIR)$(datadir)/$(datamoduledir)/funnel_odoo.sql'
	$(INSTALL_DATA) integrations/twenty.sql '$(DESTDIR)$(datadir)/$(datamoduledir)/funnel_twenty.sql'
uninstall: uninstall-integrations
uninstall-integrations:
	rm -f '$(DESTDIR)$(datadir)/$(datamoduledir)/funnel_odoo.sql'
	rm -f '$(DESTDIR)$(datadir)/$(datamoduledir)/funnel_twenty.sql'
