import pytest

from saylau.registry.bench import import_bench
from saylau.registry.models import ImportBatch, Member

pytestmark = pytest.mark.django_db


def test_bench_imports_and_cleans_up():
    result = import_bench(500, seed=1)
    assert result.accepted == 500 and result.rejected == 0
    assert result.import_seconds > 0 and result.members_per_second > 0
    assert "500 members imported" in result.summary()
    assert Member.objects.count() == 0 and ImportBatch.objects.count() == 0


def test_bench_keeps_when_asked_and_refuses_a_non_empty_table():
    import_bench(50, keep=True)
    assert Member.objects.count() == 50
    with pytest.raises(RuntimeError):
        import_bench(10)
