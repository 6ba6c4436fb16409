"""SPEC §3–§4: what a plan costs and what each contract is paid.

`tally` sums a plan once per (unit, lot), (lot, municipality) and (unit, municipality); `payouts`
applies the four funding models; `costs` gives the objective's parts and the regional cost.
"""
