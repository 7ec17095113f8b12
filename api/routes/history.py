"""Observers' reading of change: compare, lineage, coverage, progress (being built)."""

from fastapi import APIRouter

router = APIRouter(tags=["history"])
