"""The demo loader: starter content, the region's organisations and ambassadors, regional items."""

from werkbrug.knowledge_map.models import Item


def test_demo_region_has_a_living_map(demo_region):
    items = Item.objects.filter(region=demo_region)
    assert items.filter(scope="national").count() >= 40
    assert items.filter(source_type="organisation").count() >= 10
    assert items.filter(source_type="ambassador", status="published").count() >= 5
    assert items.filter(scope="regional", status="draft").exists()
    assert items.get(key="kennislunch").review_on < items.get(key="ips").review_on


def test_demo_map_holds_published_ambassador_qas(demo_region):
    from werkbrug.ambassadors.models import Question

    published = Question.objects.filter(region=demo_region, published=True).exclude(public_answer="").count()
    qa_items = Item.objects.filter(region=demo_region, source_type="ambassador_qa", kind="qa", status="published")
    assert published > 0 and qa_items.count() == published
