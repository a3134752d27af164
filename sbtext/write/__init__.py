"""Writing a run folder: one writer, whichever way the passages arrive.

- `files.py`: the list of output files (`OUTPUT_FILES`), each beside the function that writes it;
  cue offsets become JSON here, at the file boundary, and nowhere earlier.
- `run.py`: `RunWriter`, fed one document at a time by the streaming run, all passages at once
  by `Analysis.to_dir`, or one partition at a time by Dask workers (`PartWriter`).
- `workbook.py`: `sbtext.xlsx`, its passages sheet filled as the rows arrive.
- `report.py`: the self-contained HTML report; `parquet.py`: passages as partitioned Parquet.

CSV, workbook and Markdown formatting itself lives in `sbtext.export`.
"""

from sbtext.write.files import OUTPUT_FILES
from sbtext.write.run import Part, PartPlan, PartWriter, RunWriter

__all__ = ["OUTPUT_FILES", "Part", "PartPlan", "PartWriter", "RunWriter"]
