"""Thin Python client for the abscan gRPC API."""
from abscan_client.client import AbscanClient, Stream, CHUNK_SIZE
from abscan_client.errors import AbscanError, FieldViolation, PreconditionViolation, QuotaViolation, from_rpc_error
from abscan_client.seeds import load_seed_folder
from abscan_client.jsonout import message_to_json

__all__ = ["AbscanClient", "Stream", "CHUNK_SIZE", "AbscanError", "FieldViolation", "PreconditionViolation",
           "QuotaViolation", "from_rpc_error", "load_seed_folder", "message_to_json"]
