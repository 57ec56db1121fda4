"""Run the benchmarks and print one table."""
import sys

print("formsvc benchmarks: no benchmarks yet (the document engine adds them)", file=sys.stderr)
