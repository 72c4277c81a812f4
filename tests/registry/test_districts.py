from saylau.registry import districts


def test_seventeen_regions_and_three_cities():
    assert len(districts.DISTRICTS) == 20
    assert sum(d.is_city for d in districts.DISTRICTS) == 3
    assert {d.code for d in districts.DISTRICTS if d.is_city} == {"KZ-71", "KZ-75", "KZ-79"}
    assert len({d.code for d in districts.DISTRICTS}) == 20


def test_lookup_by_code_number_and_names():
    table = districts.lookup_table()
    assert districts.resolve("KZ-75", table) == "KZ-75"
    assert districts.resolve("kz-75", table) == "KZ-75"
    assert districts.resolve("75", table) == "KZ-75"
    assert districts.resolve("Алматы қаласы", table) == "KZ-75"
    assert districts.resolve("город  Алматы", table) == "KZ-75"
    assert districts.resolve("Almaty Region", table) == "KZ-19"
    assert districts.resolve("Туркестанская область", table) == "KZ-61"
    assert districts.resolve("Ұлытау облысы", table) == "KZ-62"
    assert districts.resolve("KZ-99", table) is None
    assert districts.resolve("", table) is None


def test_ambiguous_spellings_are_never_guessed():
    a = districts.DistrictInfo("A", "Same", "a-ru", "a-en", False, 1, 0)
    b = districts.DistrictInfo("B", "Same", "b-ru", "b-en", False, 1, 0)
    table = districts.lookup_table([a, b])
    assert districts.resolve("same", table) is None
    assert districts.resolve("a-ru", table) == "A"
