"""The conversion of old-style Pilot tests (tests/tools/to_async.py) keeps what they do."""

from __future__ import annotations

import asyncio
import textwrap

from tests.tools.to_async import convert_source

OLD = textwrap.dedent(
    '''
    import asyncio


    async def helper(x):
        return x * 2


    def test_inline(tmp_path):
        seen = []

        async def main():
            nonlocal seen
            async with Ctx() as c:
                seen.append(c)
                value = await helper(3)
                return value, len(seen)

        value, n = asyncio.run(main())
        assert (value, n) == (6, 1)


    def test_kept(tmp_path):
        async def main(k):
            if k:
                return 1
            return 2

        assert asyncio.run(main(True)) + asyncio.run(main(False)) == 3


    def not_a_test():
        return asyncio.run(helper(1))
    '''
)


def test_converts_inlines_and_keeps_meaning() -> None:
    new, notes = convert_source(OLD, "old.py")
    assert "async def test_inline(tmp_path):" in new and "async def test_kept(tmp_path):" in new
    assert "async def main():" not in new and "nonlocal" not in new  # inlined
    assert "async def main(k):" in new  # early returns: kept and awaited
    assert "(await main(True)) + (await main(False)) == 3" in new
    assert "return asyncio.run(helper(1))" in new
    assert any("not_a_test" in n for n in notes)

    class Ctx:
        async def __aenter__(self) -> str:
            return "c"

        async def __aexit__(self, *exc: object) -> bool:
            return False

    namespace: dict = {"Ctx": Ctx}
    exec(compile(new, "new.py", "exec"), namespace)
    asyncio.run(namespace["test_inline"](None))
    asyncio.run(namespace["test_kept"](None))
    assert convert_source(new, "new.py")[0] == new  # a converted file stays as it is
