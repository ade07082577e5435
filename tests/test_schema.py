"""The schema module is the one list of keys: the fixtures' own labels (an independent
oracle), the section splitter, the checks, the catalog and the metrics plugin agree with it."""
from __future__ import annotations

import json
from importlib import resources

import pytest

from govreport import catalog, schema
from govreport import fixtures as fx
from govreport.checks import tables as checks_tables
from govreport.extractors import table_labels as L


@pytest.mark.parametrize("variant", schema.VARIANTS)
def test_fixture_keys_are_the_schema_keys(variant):
    assert fx.table2_keys(variant) == schema.table2_keys(variant)
    assert fx.table3_keys(variant) == schema.table3_keys(variant)
    assert fx.table4_keys() == schema.table4_keys()
    assert [k for k, _, _ in fx.t3_rows(variant)] == [r.key for r in schema.T3_ROWS[variant]]


def test_fixture_sections_are_schema_sections():
    assert set(fx.POST2019_HEADINGS) <= set(schema.SECTION_KEYS)
    assert set(fx.PRE2019_HEADINGS) <= set(schema.SECTION_KEYS)
    from govreport.sections import SECTION_RULES

    assert {key for key, _ in SECTION_RULES} | {"preamble"} == set(schema.SECTION_KEYS)


def test_everything_reads_the_one_schema():
    assert L.T3_ROWS is schema.T3_ROWS and L.T2_DEFAULT_COLUMNS is schema.T2_DEFAULT_COLUMNS
    assert checks_tables.RESULT_ROWS is schema.T3_RESULT_ROWS
    assert set(catalog.fact_catalog()) == schema.fact_keys()
    assert set(catalog.check_rules()) == set(schema.RULES)


def test_rules_are_the_ones_reported():
    """Every rule id a built-in stage can report is in the schema, with a description."""
    import re
    from pathlib import Path

    import govreport

    src = Path(govreport.__file__).parent
    reported = set()
    for path in src.rglob("*.py"):
        reported |= set(re.findall(r'Check\(\s*"([A-Z][A-Z0-9-]+)"', path.read_text(encoding="utf-8")))
        reported |= set(re.findall(r'rule="([A-Z][A-Z0-9-]+)"', path.read_text(encoding="utf-8")))
    assert reported and reported <= set(schema.RULES)
    assert all(r.description and r.modules for r in schema.RULES.values())


def test_measures_and_metrics_plugin_name_schema_keys():
    from govreport.rates import measures

    keys = schema.fact_keys()
    terms = {t for m in measures() for f in m.forms for t in (*f.sum, *f.numerator, *f.denominator)}
    assert terms and {t for t in terms if not t.startswith("=")} <= keys
    metrics = pytest.importorskip("govreport_metrics")
    assert {f"requests.denied.{r}.total" for r in metrics.DENIAL_REASONS} <= keys
    assert {f"requests.new_received.{c}" for c in metrics.LEGAL_PERSON_COLUMNS} <= keys
    assert len(metrics.DENIAL_REASONS) == 8 and len(metrics.LEGAL_PERSON_COLUMNS) == 5


def test_schema_file_is_plain_data():
    text = resources.files("govreport").joinpath("data").joinpath("schema.json").read_text(encoding="utf-8")
    data = json.loads(text)
    assert {"sections", "table2", "table3", "table4", "prose_facts", "rules"} <= set(data)
