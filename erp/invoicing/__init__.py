"""Invoices, deposit invoices, credit notes, payments, reminders and the unalterable journal."""
