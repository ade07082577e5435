"""Built-in extractor plugins (listed in ``govreport.plugins.BUILTIN_PLUGINS``)."""
