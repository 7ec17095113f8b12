"""Health and version: for load balancers and operators."""

from fastapi import APIRouter
from pydantic import BaseModel

from api.http import Context
from api.services.system import database_health

router = APIRouter(tags=["system"])


class Health(BaseModel):
    """The service's health."""

    status: str
    database: str


@router.get("/health", response_model=Health, summary="Health check (the database answers)")
def health(context: Context) -> Health:
    """Report whether the service and its database answer."""
    return Health(status="ok", database=database_health(context.session))
