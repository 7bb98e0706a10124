"""The paperdeck core: papers, storage, search, import and export. Never imports Qt."""
