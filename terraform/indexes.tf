# Every composite index the functions' queries need, from indexes.json (the file the Datastore
# emulator enforces in the integration tests). A definition with "kindsFrom" is repeated for each
# kind of that setting's variable.
locals {
  # The kinds lists indexes.json may name, by setting.
  index_kinds_by_setting = {
    HOTPATH_ALLOWED_KINDS = var.allowed_kinds
  }

  # One entry per definition and kind, keyed "<definition name>/<kind>".
  composite_indexes = {
    for index in flatten([
      for definition in jsondecode(file("${path.module}/indexes.json")).indexes : [
        for kind in try([definition.kind], local.index_kinds_by_setting[definition.kindsFrom]) : {
          key        = "${definition.name}/${kind}"
          kind       = kind
          ancestor   = definition.ancestor
          properties = definition.properties
        }
      ]
    ]) : index.key => index
  }
}

resource "google_firestore_index" "composite" {
  for_each = local.composite_indexes

  project    = var.project_id
  database   = local.database_id
  collection = each.value.kind
  api_scope  = "DATASTORE_MODE_API"
  # Datastore mode: an index with ancestors is COLLECTION_RECURSIVE, one without COLLECTION_GROUP.
  query_scope = each.value.ancestor ? "COLLECTION_RECURSIVE" : "COLLECTION_GROUP"

  dynamic "fields" {
    for_each = each.value.properties
    content {
      # The key is __key__ in Datastore's terms, __name__ in the Firestore API's.
      field_path = fields.value.name == "__key__" ? "__name__" : fields.value.name
      order      = fields.value.direction == "desc" ? "DESCENDING" : "ASCENDING"
    }
  }

  depends_on = [google_project_service.required]
}
