"""A whole scan as one JSON file, and back: moving scans between IMS Scan instances.

`export.scan_to_json` writes it, without personal data; `importer.scan_from_json` checks
everything first and then restores it as a new scan, or imports nothing.
See docs/exports.md.
"""
