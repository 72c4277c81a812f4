"""Polling stations: for now, which members vote on paper at which station (a later issue
builds the stations and their commissions out)."""
