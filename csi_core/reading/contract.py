"""Words of the workbook contract (CONTRACTS.md §1) that more than one module needs."""

# The template's example row says so in its comment; validation refuses a file that
# still holds it (else the example would be stored as a real questionnaire).
EXAMPLE_COMMENT = "示例行，上传前请删除 / example row, delete before upload"
