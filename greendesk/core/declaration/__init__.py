"""The 申报表 as the green-manufacturing platform asks for it: rows, 计算过程 and evidence per row.

* ``calculation``  how each computed indicator's value was reached (inputs with their origin, factors, result)
* ``table``        the 申报表 rows for an assessment (any scheme or profile)
* ``workbook``     the 申报表 as an .xlsx for A4 landscape
"""
