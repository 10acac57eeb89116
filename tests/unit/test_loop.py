import asyncio


async def test_async_tests_run_on_the_unit_loop() -> None:
    results: list[int] = []

    async def worker(n: int) -> None:
        await asyncio.sleep(0.001 * n)
        results.append(n)

    await asyncio.gather(worker(3), worker(1), worker(2))
    assert results == [1, 2, 3]
