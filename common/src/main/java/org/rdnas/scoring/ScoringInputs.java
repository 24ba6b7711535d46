package org.rdnas.scoring;

import java.io.FileNotFoundException;
import java.io.IOException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import java.util.List;
import org.rdnas.config.RdnasConfig;
import org.rdnas.config.SpaceConfig;
import org.rdnas.proxy.Proxies;
import org.rdnas.data.Cifar10;
import org.rdnas.data.CorruptDataException;
import org.rdnas.data.DataSource;
import org.rdnas.data.Datasets;
import org.rdnas.data.ImageFolder;
import org.rdnas.io.InputException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Job 1's data inputs, checked on the driver before any scoring starts. */
public final class ScoringInputs {
  private static final Logger LOG = LoggerFactory.getLogger(ScoringInputs.class);

  private ScoringInputs() {}

  /**
   * Refuses what makes no sense for a space other than NAS-Bench-201: proxies defined on
   * NAS-Bench-201 cells only, and ground truth (a NAS-Bench-201 table). {@code candidates.mode =
   * all} on a space too large to list is refused by {@link Candidates}.
   */
  public static void checkSpace(RdnasConfig config) {
    SpaceConfig space = config.space();
    if (space.name().isNb201()) {
      return;
    }
    String name = space.name().configName();
    List<String> specific = config.proxies().stream()
        .filter(p -> !Proxies.byName(p).architectureGeneric()).toList();
    if (!specific.isEmpty()) {
      throw new InputException("rdnas.proxies: " + specific + " are defined on NAS-Bench-201 "
          + "networks only and cannot score rdnas.space.name = " + name + "; the "
          + "architecture-generic proxies are " + Proxies.names().stream()
              .filter(n -> Proxies.byName(n).architectureGeneric()).toList());
    }
    if (config.groundTruth().pathIfSet().isPresent()) {
      throw new InputException("rdnas.ground-truth.path is a NAS-Bench-201 accuracy table; "
          + "rdnas.space.name = " + name + " has no ground truth here, leave it unset");
    }
  }

  /** Checks the data path now (exists, whole files) and returns it fully qualified. */
  public static String dataPath(RdnasConfig config, Configuration conf) {
    if (config.data().source() == DataSource.SYNTHETIC) {
      String notice = "NOTICE: CIFAR-10 is not configured (rdnas.data.source = synthetic): the "
          + "data-driven proxies see generated images, so their scores are not comparable with "
          + "published ones. For real data: rdnas.data.source=cifar10 rdnas.data.path=<CIFAR-10 "
          + "binary batch file or folder>";
      LOG.warn(notice);
      System.out.println("proxy-scoring: " + notice);
      return "";
    }
    String path = config.data().path();
    if (config.data().source() == DataSource.IMAGE_FOLDER) {
      return listing(config, conf).root();
    }
    try {
      // Reading one record checks that every selected file exists and has a whole number of records.
      Datasets.load(DataSource.CIFAR10, path, Cifar10.Part.ALL, 1, 0, conf);
      Path p = new Path(path);
      return p.getFileSystem(conf).makeQualified(p).toString();
    } catch (FileNotFoundException e) {
      throw new InputException("rdnas.data.path: " + e.getMessage()
          + "; give the CIFAR-10 binary batch file or the folder that holds the batches");
    } catch (CorruptDataException e) {
      throw new InputException("rdnas.data.path: " + e.getMessage(), e);
    } catch (IOException e) {
      throw new InputException("rdnas.data.path: cannot read " + path + ": " + e.getMessage(), e);
    }
  }

  /**
   * The side and class count of the images job 1 reads.
   *
   * @param side image side in pixels
   * @param classes number of classes (labels {@code 0..classes-1})
   */
  public record DataShape(int side, int classes) {}

  /**
   * The side and class count of the configured images, checked against the space: CIFAR-10 and
   * the synthetic images are 32 px with 10 classes; an image folder is
   * {@code rdnas.data.image-size} px with one class per sub-folder, listed (not read) here. The
   * NAS-Bench-201 spaces, whose networks are CIFAR-10's, refuse anything but 10 classes (their 32 px
   * and resnet48's side rule are configuration checks of {@link RdnasConfig}); an image folder too
   * large for one array is refused.
   */
  public static DataShape dataShape(RdnasConfig config, Configuration conf) {
    if (config.data().source() != DataSource.IMAGE_FOLDER) {
      return new DataShape(Cifar10.SIDE, Cifar10.CLASSES);
    }
    ImageFolder.Listing l = listing(config, conf);
    int side = config.data().imageSize();
    int classes = l.classes().size();
    SpaceConfig space = config.space();
    if (space.name().isNb201() && (classes != Cifar10.CLASSES || side != Cifar10.SIDE)) {
      throw new InputException("rdnas.space.name = " + space.name().configName() + " builds "
          + "NAS-Bench-201's CIFAR-10 networks (32 px, 10 classes), but rdnas.data.path " + l.root()
          + " holds " + classes + " class folders at rdnas.data.image-size = " + side
          + "; use rdnas.space.name = resnet48 for this dataset");
    }
    if (!space.name().isNb201() && space.resolution() % side != 0) {
      throw new InputException("rdnas.data.image-size = " + side + " must equal rdnas.space.resolution = "
          + space.resolution() + " or divide it");
    }
    long images = l.files().size();
    if (config.data().limit() > 0) {
      images = Math.min(images, config.data().limit());
    }
    try {
      ImageFolder.checkFits(l.root(), images, side);
    } catch (InputException e) {
      throw e.within("rdnas.data.path");
    }
    return new DataShape(side, classes);
  }

  /** The image folder's classes and files, listed; what is wrong with it as an {@link InputException}. */
  private static ImageFolder.Listing listing(RdnasConfig config, Configuration conf) {
    String path = config.data().path();
    try {
      return ImageFolder.list(path, conf);
    } catch (FileNotFoundException e) {
      throw new InputException("rdnas.data.path: " + e.getMessage()
          + "; give the folder that holds one sub-folder of images per class", e);
    } catch (InputException e) {
      throw e.within("rdnas.data.path");
    } catch (IOException e) {
      throw new InputException("rdnas.data.path: cannot read " + path + ": " + e.getMessage(), e);
    }
  }

  /**
   * Checks that the data-driven proxies can draw their minibatch: at least two images, and no more
   * than the dataset holds (counted from the file sizes, without reading them).
   */
  public static void checkBatch(RdnasConfig config, Configuration conf) {
    if (!ScoringSettings.of(config, "").needsData()) {
      return;
    }
    int batch = config.proxy().batchSize();
    if (batch < 2) {
      throw new InputException("rdnas.proxy.batch-size must be at least 2 for the data-driven "
          + "proxies (batch statistics and a Jacobian over the batch need two images), got " + batch);
    }
    long images;
    if (config.data().source() == DataSource.SYNTHETIC) {
      images = config.data().syntheticSize();
    } else if (config.data().source() == DataSource.IMAGE_FOLDER) {
      images = listing(config, conf).files().size();
    } else {
      images = 0;
      try {
        for (String f : Cifar10.files(config.data().path(), Cifar10.Part.ALL, conf)) {
          Path p = new Path(f);
          images += p.getFileSystem(conf).getFileStatus(p).getLen() / Cifar10.RECORD_BYTES;
        }
      } catch (IOException e) {
        throw new InputException("rdnas.data.path: " + e.getMessage(), e);
      }
    }
    if (config.data().limit() > 0) {
      images = Math.min(images, config.data().limit());
    }
    if (images < batch) {
      throw new InputException("rdnas.proxy.batch-size = " + batch + " but the dataset has only "
          + images + " images (rdnas.data.*); lower the batch size or use more images");
    }
  }
}
