// Schema placeholder
